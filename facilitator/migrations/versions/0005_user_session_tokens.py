"""a per-user session token that cookies name users by, replaced to end every login

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 08:10:00
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_token', sa.String(length=64), nullable=True))
    # Existing accounts get a token each (their current logins end: cookies held row ids).
    connection = op.get_bind()
    users = sa.table('user_account', sa.column('id', sa.Integer), sa.column('session_token', sa.String))
    for (user_id,) in connection.execute(sa.select(users.c.id)).all():
        connection.execute(
            users.update().where(users.c.id == user_id).values(session_token=secrets.token_urlsafe(32))
        )
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.alter_column('session_token', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_user_account_session_token'), ['session_token'])


def downgrade() -> None:
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_user_account_session_token'), type_='unique')
        batch_op.drop_column('session_token')
