.PHONY: run test setup services lint format migrations seed bench-data

run:            ## set up everything and run web + worker + beat with demo data
	bin/run

test:           ## lint, migration check and the whole test suite (browser journeys included)
	bin/test

setup:
	bin/setup

services:
	bin/services

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

format:
	.venv/bin/ruff check --fix . && .venv/bin/ruff format .

migrations:
	.venv/bin/python manage.py makemigrations

seed:
	.venv/bin/python manage.py seed_demo --password "$${DEMO_PASSWORD:-demo-password-1}"

bench-data:     ## one million incidents for the benchmarks
	.venv/bin/python manage.py generate_incidents 1000000
