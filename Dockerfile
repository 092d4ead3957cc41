# The one image behind docker-compose.yml's web, worker and beat services.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first, so that a change to the code does not reinstall them: exactly
# the versions requirements.txt pins (`make lock`), each file checked against its hash.
# pyproject.toml declares no packages of its own, so the code runs from /app as copied.
COPY requirements.txt ./
RUN pip install --require-hashes -r requirements.txt

COPY . .

# Babel compiles the message catalogues, so the image needs no GNU gettext.
# collectstatic runs at build time too, with a throwaway key that never reaches
# the running containers (it is not an ENV line, so it is not kept in the image),
# and without the Redis cache and mail server production insists on.
RUN python scripts/compile_messages.py \
 && SECRET_KEY=build-only DEBUG=0 ALLOW_LOCAL_CACHE=1 ALLOW_CONSOLE_EMAIL=1 python manage.py collectstatic --noinput

# The code stays owned by root and read-only to the portal; only var/ (static
# files, uploads under var/media, a volume in docker-compose.yml) is writable.
RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home --shell /usr/sbin/nologin portal \
 && mkdir -p /app/var/media \
 && chown -R portal:portal /app/var
USER portal

EXPOSE 8000
CMD ["gunicorn", "campaign_portal.wsgi:application", "--bind", "0.0.0.0:8000"]
