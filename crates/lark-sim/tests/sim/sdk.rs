//! The official Python SDK as a peer: added in the next commit.
