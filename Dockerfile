# medledger: one image for the API (`medledger serve`) and the projection worker.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /app
COPY pyproject.toml README.md ./
COPY ledger ledger
COPY projections projections
COPY api api
COPY cli cli
RUN pip install . \
    && useradd --system --uid 10001 --home-dir /data medledger \
    && mkdir -p /data/log-keys \
    && chown -R medledger /data

USER medledger
ENV MEDLEDGER_LOG_KEYS=/data/log-keys \
    MEDLEDGER_HOST=0.0.0.0 \
    MEDLEDGER_PORT=8000
EXPOSE 8000
CMD ["medledger", "serve"]
