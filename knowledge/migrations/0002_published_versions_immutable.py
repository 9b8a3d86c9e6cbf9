from django.db import migrations

IMMUTABLE = """
CREATE OR REPLACE FUNCTION knowledge_version_immutable() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'published' THEN
        RAISE EXCEPTION 'knowledge: published article versions are immutable (version %)', OLD.id;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER knowledge_version_no_rewrite BEFORE UPDATE OR DELETE ON knowledge_articleversion
    FOR EACH ROW EXECUTE FUNCTION knowledge_version_immutable();
"""
DROP_IMMUTABLE = """
DROP TRIGGER IF EXISTS knowledge_version_no_rewrite ON knowledge_articleversion;
DROP FUNCTION IF EXISTS knowledge_version_immutable();
"""


class Migration(migrations.Migration):
    """Published versions never change, whatever code path (or admin) tries: the database refuses."""

    dependencies = [("knowledge", "0001_initial")]

    operations = [migrations.RunSQL(IMMUTABLE, DROP_IMMUTABLE)]
