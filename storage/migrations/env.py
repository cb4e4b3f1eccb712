"""Alembic environment: the connection comes from `storage.schema`, never from a config file."""

from alembic import context

from storage import models
from storage.search.index import belongs_to_models

target_metadata = models.SQLModel.metadata


def run_migrations() -> None:
    connection = context.config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=belongs_to_models,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
