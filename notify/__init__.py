"""Notifications: people hear of what concerns them, by e-mail and in the web application.

The projector writes the outbox (``projections.read_models.notices``); this
package decides what each person is sent and when (``schedule``), composes
the messages from the read models within what the recipient may read
(``compose``), and delivers them through SMTP with claims, retries and a
record of every attempt (``delivery``, ``smtp``, ``worker``).
docs/NOTIFICATIONS.md tells the whole story.
"""
