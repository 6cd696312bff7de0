"""studybot: a reading-group bot. The core (this package minus `adapter/`) never imports discord."""
