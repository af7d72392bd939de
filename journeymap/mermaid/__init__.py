"""Mermaid in and out: a journey as a Mermaid ``journey`` or ``flowchart``, and a Mermaid
``journey`` read back as a journey file.

``text`` escapes and unescapes Mermaid's entity codes; ``journey`` and ``flowchart`` write diagrams
(pure functions of the model); ``importer`` reads a ``journey`` diagram into journey YAML.
"""
