"""The bundled scripts: one Jinja template per moment of the call method.

Each script is ``NAME.txt.j2`` (plain text) and, for emails, optionally
``NAME.html.j2`` (autoescaped). A ``.txt.j2`` starts with a ``{#- ... -#}``
comment holding TOML metadata: ``title``, ``channel`` ("call", "voicemail" or
"email"), ``used_when`` and, for emails, ``subject``. The fields a script can
use and how missing ones are shown are described in ``callassist.templates``.

A file of the same name in the rep's own script folder overrides the one here.
"""
