"""At national scale: synthetic communities, the chunked sweep and the Dask runner."""
