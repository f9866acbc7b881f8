// The matcher lives here.
