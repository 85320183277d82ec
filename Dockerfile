# KAM CRM: one image for every role (web, worker, beat, migrate).
#
#   docker build -t kam-crm .
#   docker run --rm -e SECRET_KEY=... -e DATABASE_URL=... -e REDIS_URL=... -p 8000:8000 kam-crm
#
# The default command serves the app with gunicorn; docker-compose.yml runs the same image
# as the Celery worker, Celery beat and the one-shot migration job.
FROM python:3.12-slim-bookworm

LABEL org.opencontainers.image.title="KAM CRM" \
      org.opencontainers.image.description="Key Account Management CRM" \
      org.opencontainers.image.licenses="AGPL-3.0-or-later"

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=kam.settings \
    KAM_DATA_DIR=/data \
    MEDIA_ROOT=/data/media \
    WEB_CONCURRENCY=3

# WeasyPrint's run-time libraries (Pango, HarfBuzz, fontconfig) and a base font. No
# compiler: every Python dependency installs from a wheel. No gettext either: the
# translations compile with `manage.py compile_translations` (pure Python, polib).
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        libharfbuzz-subset0 \
        libfontconfig1 \
        fontconfig \
        fonts-dejavu-core \
        shared-mime-info \
 && rm -rf /var/lib/apt/lists/* \
 && fc-cache -f

# An unprivileged user that owns nothing but its home and the data folder.
RUN groupadd --system --gid 10001 kam \
 && useradd --system --uid 10001 --gid kam --create-home --home-dir /home/kam \
        --shell /usr/sbin/nologin kam

# Dependencies first, from pyproject.toml alone, so that a change to the source does not
# reinstall them. `[tool.setuptools] packages = []`: `pip install .` installs only the
# dependencies (plus the project's metadata); the source itself is run from /app.
COPY pyproject.toml README.md* /tmp/build/
RUN python -m venv "$VIRTUAL_ENV" \
 && pip install /tmp/build \
 && rm -rf /tmp/build

WORKDIR /app
COPY . /app

# Build-time steps. Settings refuse to load without SECRET_KEY when DEBUG is off, so
# these get a throw-away key that exists only in this RUN (it is not an ENV of the image).
# collectstatic with DEBUG=0 builds WhiteNoise's compressed, hashed manifest.
RUN SECRET_KEY=build-only DEBUG=0 python manage.py compile_translations \
 && SECRET_KEY=build-only DEBUG=0 python manage.py collectstatic --noinput --verbosity 1 \
 && python -m compileall -q /app \
 && mkdir -p /data/media \
 && chown -R kam:kam /data

USER kam
EXPOSE 8000

# /health/ checks the database (and Redis when REDIS_URL is set) and answers 200 or 503.
# The Host header is the first ALLOWED_HOSTS entry (so that Django accepts it), and
# X-Forwarded-Proto says https (so that, behind a TLS proxy, SECURE_SSL_REDIRECT does not
# answer 301). Redirects are not followed: a 301 counts as unhealthy.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os,urllib.request as u;h=os.environ.get('ALLOWED_HOSTS','localhost').split(',')[0].strip().lstrip('*.') or 'localhost';o=u.build_opener(type('NoRedirect',(u.HTTPRedirectHandler,),{'redirect_request':lambda *a,**k:None}));o.open(u.Request('http://127.0.0.1:8000/health/',headers={'Host':h,'X-Forwarded-Proto':'https'}),timeout=8)"]

# Workers: WEB_CONCURRENCY (gunicorn reads it itself; default 3 above). More gunicorn
# options can be passed in GUNICORN_CMD_ARGS.
CMD ["gunicorn", "kam.wsgi:application", \
     "--bind", "0.0.0.0:8000", \
     "--worker-tmp-dir", "/dev/shm", \
     "--timeout", "60", \
     "--graceful-timeout", "30", \
     "--access-logfile", "-"]
