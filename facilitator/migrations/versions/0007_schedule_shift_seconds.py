"""a rehearsal's schedule shift in seconds (from its actual start), not whole days

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 08:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("live_state", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("schedule_shift_s", sa.Integer(), nullable=False, server_default="0")
        )
    # A run under way keeps its shift (whole days become seconds); new runs time from their start.
    op.execute("UPDATE live_state SET schedule_shift_s = schedule_shift_days * 86400")
    with op.batch_alter_table("live_state", schema=None) as batch_op:
        batch_op.alter_column("schedule_shift_s", server_default=None)
        batch_op.drop_column("schedule_shift_days")


def downgrade() -> None:
    with op.batch_alter_table("live_state", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("schedule_shift_days", sa.Integer(), nullable=False, server_default="0")
        )
    op.execute("UPDATE live_state SET schedule_shift_days = schedule_shift_s / 86400")
    with op.batch_alter_table("live_state", schema=None) as batch_op:
        batch_op.alter_column("schedule_shift_days", server_default=None)
        batch_op.drop_column("schedule_shift_s")
