# The portal's image: the same one runs web (gunicorn), worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends espeak-ng libpango-1.0-0 libpangoft2-1.0-0 \
       libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 portal
WORKDIR /app
COPY pyproject.toml README.md ./
COPY common ./common
COPY citizen_portal ./citizen_portal
COPY backoffice ./backoffice
COPY accounts ./accounts
COPY households ./households
COPY procedures ./procedures
COPY payments ./payments
COPY notifications ./notifications
COPY privacy ./privacy
COPY demo ./demo
COPY franceconnect ./franceconnect
COPY staff_login ./staff_login
COPY appointments ./appointments
RUN pip install .
COPY . .
RUN mkdir -p /app/var && chown -R portal /app/var
USER portal
# collectstatic needs settings that start: build-time values only, never used at run time.
RUN SECRET_KEY=build-only ALLOWED_HOSTS=build PAYMENT_ALLOW_SIMULATED=1 python manage.py collectstatic --no-input
EXPOSE 8000
CMD ["gunicorn", "--config", "python:citizen_portal.gunicorn_conf", "citizen_portal.wsgi:application"]
