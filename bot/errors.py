"""The errors a user can cause. Each carries one sentence that tells the user what to do.

Front ends (CLI, console, Discord adapter) print `str(error)` and nothing else; anything that is
not a `StudyError` is a bug, logged with its traceback and answered with a generic apology.
"""


class StudyError(Exception):
    """Base class: the message is shown to the user as is."""


class InputFileError(StudyError):
    """A file given to ingest cannot be read as a text."""


class NotFoundError(StudyError):
    """A text, passage or group the user named does not exist."""


class InvalidSettingError(StudyError):
    """A setting (time, time zone, weekdays, pace, ...) the user typed is not valid."""


class PermissionDeniedError(StudyError):
    """The user may not do this (only organisers change a group's plan)."""


class ConfigError(StudyError):
    """The host's configuration (.env, token, database path) is wrong."""


class InvalidQuestionError(StudyError):
    """A discussion question an organiser or member typed cannot be posted as written."""


class StoreError(StudyError):
    """The database cannot be used as it is: the disk is full, the file is damaged, or it was
    made by another version of studybot. The sentence names the fix."""


class DiskFullError(StoreError):
    """A write failed for lack of space; the transaction was rolled back, earlier ones stand."""


class DamagedDatabaseError(StoreError):
    """The file is malformed or lacks part of the schema (`studybot doctor` checks and repairs)."""


class DatabaseVersionError(StoreError):
    """The file's schema is newer than this studybot knows, or older than a reader can use."""
