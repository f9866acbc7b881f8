// The tag store lives here.
