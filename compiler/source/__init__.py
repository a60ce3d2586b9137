"""Reading sources: bytes -> positioned YAML tree -> checked against the JSON Schema -> model.Report.

    yamltree     bytes -> YAML tree with FILE:LINE:COL on every node
    yamlhints    libyaml's syntax errors said as what to write instead
    schema       the JSON Schema of reports and styles (the single source of truth)
    schemacheck  tree checked against the schema, every problem collected
    validate     tree + Style -> model.Report (ids, grades, cross-checks)
    markup       block and inline text -> model blocks and inlines
    paths        where a named file may come from (the project root, the shipped styles)
"""
