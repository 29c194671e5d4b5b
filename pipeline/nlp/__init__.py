"""NLP stage: gazetteer, region tagger, dates, officials, organisations, events, the spaCy components."""
