# essaybot: the Telegram bot in a container.
#
#   docker build -t essaybot .
#   docker run --rm essaybot essaybot check
#   docker run -d --name essaybot --restart unless-stopped --stop-timeout 30 \
#       --env-file .env -v essaybot-data:/data essaybot
#
# Python packages come from PyPI by default. To build from another index or a mirror, pass
# pip's own settings as build arguments; they exist only in the build stage, not in the image:
#
#   docker build --build-arg PIP_INDEX_URL=https://mirror.example/simple -t essaybot .
#   (also PIP_EXTRA_INDEX_URL, PIP_TRUSTED_HOST, PIP_FIND_LINKS, PIP_NO_INDEX=1; for a mirror
#   served on this host's loopback, add --network host)

ARG PYTHON_IMAGE=python:3.12-slim

# ---- build: a virtual environment with essaybot and its dependencies -------------------------
FROM ${PYTHON_IMAGE} AS build

ARG PIP_INDEX_URL
ARG PIP_EXTRA_INDEX_URL
ARG PIP_TRUSTED_HOST
ARG PIP_FIND_LINKS
ARG PIP_NO_INDEX
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    PYTHONDONTWRITEBYTECODE=1

# The base image's pip installs into a venv that has none of its own (about 15 MB less in the image).
RUN python3 -m venv --without-pip /opt/essaybot

WORKDIR /src
# Only what the wheel is built from: the package, its content files and the metadata
# (the README is the package's long description).
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY content ./content
# hatchling copies content/ into the wheel as bot/_content, where the installed bot finds it.
RUN python3 -m pip --python /opt/essaybot/bin/python install . \
 && /opt/essaybot/bin/essaybot check

# ---- runtime ----------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE}

LABEL org.opencontainers.image.title="essaybot" \
      org.opencontainers.image.description="A Telegram bot around the essay 'Marketing e IT: ha ancora senso che siano separati?'" \
      org.opencontainers.image.licenses="MIT"

# A fixed uid/gid, so a bind-mounted data folder can be chowned to it on the host
# (chown 10001:10001 DIR); USER is numeric so Kubernetes' runAsNonRoot can check it.
ARG UID=10001
ARG GID=10001
RUN groupadd --system --gid "${GID}" essaybot \
 && useradd --system --uid "${UID}" --gid essaybot --home-dir /data --no-create-home \
        --shell /usr/sbin/nologin essaybot \
 && mkdir /data \
 && chown essaybot:essaybot /data \
 && chmod 0750 /data

COPY --from=build /opt/essaybot /opt/essaybot

ENV PATH=/opt/essaybot/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    MPLCONFIGDIR=/tmp/matplotlib \
    ESSAYBOT_DATABASE=/data/essaybot.sqlite3

# The database (and its -wal/-shm files) lives here. The working directory is the volume too,
# so `essaybot export --output answers.csv` lands next to the database.
VOLUME ["/data"]
WORKDIR /data
USER ${UID}:${GID}

# Only in webhook mode (essaybot run --webhook-url https://… --listen 0.0.0.0 --port 8443, or
# ESSAYBOT_WEBHOOK_URL, ESSAYBOT_LISTEN, ESSAYBOT_PORT and TELEGRAM_WEBHOOK_SECRET); long
# polling, the default, needs no port.
EXPOSE 8443

# Healthy while the running bot keeps writing its heartbeat (essaybot health exits 0; 1 if the
# heartbeat is stale). start-period gives a slow start (an unreachable Bot API) time to connect.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["essaybot", "health"]

# essaybot run stops gracefully on SIGTERM (what docker stop sends); give it up to 30 s
# (docker stop -t 30, compose's stop_grace_period).
STOPSIGNAL SIGTERM
CMD ["essaybot", "run"]
