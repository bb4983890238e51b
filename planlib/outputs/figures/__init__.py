"""Figures: the charts of an evaluation (``charts``), of many regions (``regions``), their
words (``words``) and the house style with its fonts (``style``)."""
