"""casb-pipeline: an out-of-band CASB for Claude over the Compliance API."""
