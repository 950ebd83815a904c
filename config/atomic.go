package config

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// tempFile is the part of *os.File a save uses; tests swap in failing ones.
type tempFile interface {
	io.Writer
	Sync() error
	Close() error
	Name() string
}

// fsOps are the file-system steps of a save, replaceable by tests to
// inject a full disk or a crash between write and rename.
type fsOps struct {
	createTemp func(dir, pattern string) (tempFile, error)
	rename     func(oldpath, newpath string) error
}

func osFS() fsOps {
	return fsOps{
		createTemp: func(dir, pattern string) (tempFile, error) { return os.CreateTemp(dir, pattern) },
		rename:     os.Rename,
	}
}

// SaveError is a save that did not happen; the file on disk is the one that
// was there before.
type SaveError struct {
	Path string
	Err  error
}

func (e *SaveError) Error() string {
	return fmt.Sprintf("could not save %s: %v; the previous file is unchanged", e.Path, e.Err)
}

func (e *SaveError) Unwrap() error { return e.Err }

// writeAtomic replaces s.path with data: a temporary file in the same
// directory (os.CreateTemp makes it 0600), written, synced, closed, renamed
// over the old one, then the directory synced. Any failure removes the
// temporary file and leaves the old file as it was.
func (s *Store) writeAtomic(data []byte) (err error) {
	f, err := s.fs.createTemp(s.dir, "."+FileName+".tmp-*")
	if err != nil {
		return &SaveError{Path: s.path, Err: err}
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	_, werr := f.Write(data)
	if werr == nil {
		werr = f.Sync()
	}
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return &SaveError{Path: s.path, Err: werr}
	}
	if err := s.fs.rename(tmp, s.path); err != nil {
		return &SaveError{Path: s.path, Err: err}
	}
	syncDir(s.dir)
	return nil
}

// syncDir makes a rename in dir durable where the system allows it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// ensureDir creates the configuration directory 0700, or tightens an
// existing one that other users can enter.
func (s *Store) ensureDir() error {
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return &SaveError{Path: s.path, Err: err}
	}
	if st, err := os.Stat(s.dir); err == nil && checkModes && st.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(s.dir, 0o700); err != nil {
			return &SaveError{Path: s.path, Err: fmt.Errorf("could not make %s private (0700): %w", filepath.Clean(s.dir), err)}
		}
	}
	return nil
}
