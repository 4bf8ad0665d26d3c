"""Dated events out of parsed text, in the order the data flows.

``nlp`` loads the spaCy pipeline with the date tagger; ``triggers`` says which word a date belongs
to, what kind of event it names and whether it happened; ``participants`` who took part and where
(names made canonical by ``actors``); ``titles`` what to call it; ``mentions`` puts these together
for each date of a document; ``extractor`` runs documents through it all, in parts and batches.
"""
