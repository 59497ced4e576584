"""questions and polls, their answers and counted parts; audience Q&A with upvotes

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 07:47:57.497938
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import facilitator.database

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('qa_settings',
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('moderated', sa.Boolean(), nullable=False),
    sa.Column('names', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_qa_settings_workshop_id_workshop'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('workshop_id', name=op.f('pk_qa_settings'))
    )
    op.create_table('question_settings',
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('auto_open', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_question_settings_workshop_id_workshop'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('workshop_id', name=op.f('pk_question_settings'))
    )
    op.create_table('qa_question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=True),
    sa.Column('added_by_user_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=80), nullable=True),
    sa.Column('text', sa.String(length=500), nullable=False),
    sa.Column('language', sa.String(length=35), nullable=False),
    sa.Column('speaker_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.Column('pinned', sa.Boolean(), nullable=False),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('answered_by_name', sa.String(length=80), nullable=True),
    sa.Column('answer_text', sa.String(length=500), nullable=True),
    sa.Column('answered_at', facilitator.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('edited_at', facilitator.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', facilitator.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['added_by_user_id'], ['user_account.id'], name=op.f('fk_qa_question_added_by_user_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['answered_by_id'], ['person.id'], name=op.f('fk_qa_question_answered_by_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_qa_question_participant_id_participant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['speaker_id'], ['person.id'], name=op.f('fk_qa_question_speaker_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_qa_question_workshop_id_workshop'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_qa_question'))
    )
    with op.batch_alter_table('qa_question', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_qa_question_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index('ix_qa_question_workshop', ['workshop_id', 'created_at'], unique=False)

    op.create_table('qa_speaker_link',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('created_at', facilitator.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_qa_speaker_link_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', name=op.f('pk_qa_speaker_link')),
    sa.UniqueConstraint('token', name=op.f('uq_qa_speaker_link_token'))
    )
    op.create_table('question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('guiding_question_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=16), nullable=False),
    sa.Column('text', sa.JSON(), nullable=False),
    sa.Column('options', sa.JSON(), nullable=True),
    sa.Column('scale', sa.JSON(), nullable=True),
    sa.Column('max_answers', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('revealed', sa.Boolean(), nullable=False),
    sa.Column('opened_at', facilitator.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', facilitator.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['guiding_question_id'], ['guiding_question.id'], name=op.f('fk_question_guiding_question_id_guiding_question'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_question_workshop_id_workshop'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question')),
    sa.UniqueConstraint('guiding_question_id', name=op.f('uq_question_guiding_question_id'))
    )
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_question_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('slot', sa.Integer(), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('number', sa.Integer(), nullable=True),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.Column('highlighted', sa.Boolean(), nullable=False),
    sa.Column('created_at', facilitator.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', facilitator.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_answer_participant_id_participant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_answer_question_id_question'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answer')),
    sa.UniqueConstraint('question_id', 'participant_id', 'slot', name=op.f('uq_answer_question_id_participant_id_slot'))
    )
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_answer_participant_id'), ['participant_id'], unique=False)

    op.create_table('qa_vote',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', facilitator.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_qa_vote_participant_id_participant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['qa_question.id'], name=op.f('fk_qa_vote_question_id_qa_question'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_qa_vote')),
    sa.UniqueConstraint('question_id', 'participant_id', name=op.f('uq_qa_vote_question_id_participant_id'))
    )
    with op.batch_alter_table('qa_vote', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_qa_vote_participant_id'), ['participant_id'], unique=False)

    op.create_table('word_rule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('word', sa.String(length=64), nullable=False),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.Column('into', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_word_rule_question_id_question'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_word_rule')),
    sa.UniqueConstraint('question_id', 'word', name=op.f('uq_word_rule_question_id_word'))
    )
    op.create_table('answer_part',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('answer_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('label', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['answer_id'], ['answer.id'], name=op.f('fk_answer_part_answer_id_answer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answer_part')),
    sa.UniqueConstraint('answer_id', 'key', name=op.f('uq_answer_part_answer_id_key'))
    )


def downgrade() -> None:
    op.drop_table('answer_part')
    op.drop_table('word_rule')
    with op.batch_alter_table('qa_vote', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_qa_vote_participant_id'))

    op.drop_table('qa_vote')
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_answer_participant_id'))

    op.drop_table('answer')
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_question_workshop_id'))

    op.drop_table('question')
    op.drop_table('qa_speaker_link')
    with op.batch_alter_table('qa_question', schema=None) as batch_op:
        batch_op.drop_index('ix_qa_question_workshop')
        batch_op.drop_index(batch_op.f('ix_qa_question_participant_id'))

    op.drop_table('qa_question')
    op.drop_table('question_settings')
    op.drop_table('qa_settings')
