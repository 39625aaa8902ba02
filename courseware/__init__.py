"""courseware: what runs the course, apart from what it teaches.

``dldemos`` holds what the chapters teach; this package holds the machinery around them:
checked claims (:mod:`courseware.claims`), live coding and precomputed results
(:mod:`courseware.live`). It may import ``dldemos``; ``dldemos`` never imports it.
"""
