"""audience streams: one sequence per audience instead of one per workshop

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 07:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('stream_seq',
    sa.Column('room', sa.String(length=64), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_stream_seq_workshop_id_workshop'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('room', name=op.f('pk_stream_seq'))
    )
    with op.batch_alter_table('stream_seq', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stream_seq_workshop_id'), ['workshop_id'], unique=False)
    # The workshop-wide counter carries on as the workshop stream: no screen sees a reset.
    op.execute(
        "INSERT INTO stream_seq (room, workshop_id, seq) "
        "SELECT 'w:' || workshop_id, workshop_id, seq FROM live_state WHERE seq > 0"
    )
    with op.batch_alter_table('live_state', schema=None) as batch_op:
        batch_op.drop_column('seq')


def downgrade() -> None:
    with op.batch_alter_table('live_state', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seq', sa.Integer(), nullable=False, server_default='0'))
    with op.batch_alter_table('stream_seq', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stream_seq_workshop_id'))
    op.drop_table('stream_seq')
