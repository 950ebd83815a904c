package tui

import "auth0-explorer/ui/tui/internal/human"

// duration is how the status bar shows an exchange's duration: as every
// pane does (human.Duration).
var duration = human.Duration
