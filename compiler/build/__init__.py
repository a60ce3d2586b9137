"""Builds: the stage order, one report or a whole batch, recorded and reproducible.

    batch     source paths -> plan (what is stale) -> workers -> build cache and manifest
    pool      jobs -> a pool of worker processes, each result as it finishes
    cache     the build cache: what each output was built from (a hint, never an authority)
    shard     a stable K/N share of the sources for parallel CI jobs
    manifest  artefacts -> manifest.json; verify and merge
"""
