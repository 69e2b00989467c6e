"""The web application: server-rendered pages for the ledger's people (docs/WEB.md).

Pages read through the same service and authorization as the HTTP API
(``api``); keys are made and used in the browser and never reach the server.
"""
