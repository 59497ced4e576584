"""Command-line entry points; `facilitator --help` lists them."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from flask import Flask

from facilitator.bench.commands import bench
from facilitator.config import ASYNC_MODES, ConfigError


def _app(**overrides: object) -> Flask:
    from facilitator import create_app

    try:
        return create_app(overrides or None)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Run live co-creation workshops: load agendas, run them, compile the record."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=None, help="Port (default: $PORT or 5000).")
@click.option(
    "--async-mode",
    type=click.Choice(ASYNC_MODES),
    default=None,
    help="Worker model (default: $FACILITATOR_ASYNC_MODE or eventlet).",
)
def serve(host: str, port: int | None, async_mode: str | None) -> None:
    """Serve the app and its realtime channel."""
    from facilitator.public_url import ALL_INTERFACES, public_base
    from facilitator.server import run_server

    overrides: dict[str, object] = {}
    if async_mode:
        overrides["ASYNC_MODE"] = async_mode
    port = port or int(os.environ.get("PORT", "5000"))
    app = _app(**overrides, SERVE_HOST=host, SERVE_PORT=port)
    local = "127.0.0.1" if host in ALL_INTERFACES else host
    phones = public_base(app.config["PUBLIC_URL"], f"http://{local}:{port}/", host, port)
    click.echo(f"Facilitator ({app.config['ASYNC_MODE']}) is running.")
    click.echo(f"  Open on this computer:  http://{local}:{port}/")
    if phones.reachable:
        click.echo(f"  Phones join at:         {phones.url}j/<code>  (the QR code shows it)")
    else:
        click.echo(
            "  Phones cannot reach this address: serve with --host 0.0.0.0 (make run does)"
            " or set FACILITATOR_PUBLIC_URL."
        )
    run_server(app, app.extensions["socketio"], host=host, port=port)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
def check(files: tuple[Path, ...]) -> None:
    """Validate agenda files; print every problem as file:line:col: field: message."""
    from facilitator.agenda.errors import AgendaError
    from facilitator.agenda.parsing import parse_agenda

    for path in files:
        try:
            parsed = parse_agenda(_read(path), str(path))
        except AgendaError as exc:
            click.echo(str(exc), err=True)
            sys.exit(1)
        for warning in parsed.warnings:
            click.echo(f"warning: {warning.format(str(path))}", err=True)
        click.echo(f"{path}: ok ({parsed.agenda.slug})")


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--only-new",
    is_flag=True,
    help="Skip files whose workshop exists already (keeps edits made in the browser).",
)
def load(files: tuple[Path, ...], only_new: bool) -> None:
    """Load agenda files into the database; an existing slug is updated in place.

    Each file is loaded in its own transaction: an invalid file changes nothing.
    """
    from facilitator.agenda.errors import AgendaError
    from facilitator.agenda.parsing import parse_agenda
    from facilitator.agenda.services import find_workshop, store_agenda
    from facilitator.database import unit_of_work
    from facilitator.extensions import db

    app = _app()
    with app.app_context():
        for path in files:
            try:
                parsed = parse_agenda(_read(path), str(path))
            except AgendaError as exc:
                click.echo(str(exc), err=True)
                sys.exit(1)
            for warning in parsed.warnings:
                click.echo(f"warning: {warning.format(str(path))}", err=True)
            with unit_of_work(db.factory) as session:
                if only_new and find_workshop(session, parsed.agenda.slug) is not None:
                    click.echo(f"{path}: kept workshop {parsed.agenda.slug} as it is")
                    continue
                result = store_agenda(session, parsed.agenda)
            verb = "created" if result.created else "updated"
            click.echo(f"{path}: {verb} workshop {parsed.agenda.slug}")


@main.command()
@click.argument("slug")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file instead of standard output.",
)
def dump(slug: str, output: Path | None) -> None:
    """Export a loaded workshop back to the agenda format (YAML)."""
    from facilitator.agenda.exporter import export_agenda
    from facilitator.agenda.schema import dump_yaml
    from facilitator.agenda.services import find_workshop
    from facilitator.extensions import db

    app = _app()
    with app.app_context():
        workshop = find_workshop(db.session, slug)
        if workshop is None:
            raise click.ClickException(f"no workshop with slug {slug!r}")
        text = dump_yaml(export_agenda(workshop))
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)


@main.command("create-user")
@click.argument("email")
@click.option("--name", default="", help="The name shown to co-organisers.")
@click.option("--admin", is_flag=True, help="May see and manage every workshop.")
@click.option(
    "--password",
    envvar="FACILITATOR_NEW_PASSWORD",
    default=None,
    help="Default: $FACILITATOR_NEW_PASSWORD, else asked for.",
)
def create_user_command(email: str, name: str, admin: bool, password: str | None) -> None:
    """Create an organiser account."""
    from facilitator.accounts.services import AccountError, create_user
    from facilitator.database import unit_of_work
    from facilitator.extensions import db

    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    app = _app()
    with app.app_context():
        try:
            with unit_of_work(db.factory) as session:
                create_user(session, email, password, name, is_admin=admin)
        except AccountError as exc:
            raise click.ClickException(_account_error_text(exc.code)) from exc
    click.echo(f"created {email}")


@main.command("set-password")
@click.argument("email")
@click.option(
    "--password",
    envvar="FACILITATOR_NEW_PASSWORD",
    default=None,
    help="Default: $FACILITATOR_NEW_PASSWORD, else asked for.",
)
def set_password_command(email: str, password: str | None) -> None:
    """Give an account a new password; it is logged out on every device."""
    from facilitator.accounts.services import AccountError, find_user_by_email, set_password
    from facilitator.database import unit_of_work
    from facilitator.extensions import db

    if password is None:
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    app = _app()
    with app.app_context():
        try:
            with unit_of_work(db.factory) as session:
                user = find_user_by_email(session, email)
                if user is None:
                    raise click.ClickException(f"there is no account for {email}")
                set_password(session, user, password)
        except AccountError as exc:
            raise click.ClickException(_account_error_text(exc.code)) from exc
    click.echo(f"new password for {email}; it is logged out everywhere")


@main.command("ensure-admin")
def ensure_admin() -> None:
    """Create the first organiser account if there is none (see the README)."""
    from facilitator.accounts.services import AccountError, ensure_first_admin
    from facilitator.database import unit_of_work
    from facilitator.extensions import db

    app = _app()
    with app.app_context():
        try:
            with unit_of_work(db.factory) as session:
                made = ensure_first_admin(
                    session,
                    os.environ.get("FACILITATOR_ADMIN_EMAIL"),
                    os.environ.get("FACILITATOR_ADMIN_PASSWORD"),
                )
                if made is not None:
                    email = made.user.email
        except AccountError as exc:
            raise click.ClickException(_account_error_text(exc.code)) from exc
    if made is None:
        return
    click.echo(f"Created the first organiser account: {email}")
    if made.generated_password:
        click.echo(f"  password: {made.generated_password}   (shown once; write it down)")


def _account_error_text(code: str) -> str:
    return {
        "invalid_email": "that is not an e-mail address",
        "weak_password": "the password needs at least 10 characters",
        "email_taken": "an account with that e-mail exists already",
    }.get(code, code)


@main.group()
def db() -> None:
    """Database schema commands."""


@db.command()
def upgrade() -> None:
    """Create or migrate the database schema to the newest version."""
    from facilitator.migrate import upgrade_database

    app = _app()
    upgrade_database(app.config["DATABASE_URL"])
    click.echo("database is up to date")


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise click.ClickException(f"{path}: {exc.strerror}") from exc


@main.command("record")
@click.argument("slug")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("md", "html", "pdf", "docx", "json", "csv", "ics")),
    default="md",
    show_default=True,
)
@click.option("--language", type=click.Choice(("en", "fr", "es", "pt", "ko")), default="en")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
def record(slug: str, fmt: str, language: str, output: Path | None) -> None:
    """Export a workshop's record (the draft, as it is now) in one format."""
    from facilitator.record.cli import export_record

    body = export_record(_app(), slug, fmt, language)
    if output is None:
        sys.stdout.buffer.write(body)
    else:
        output.write_bytes(body)


main.add_command(bench)
