package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
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
// temporary file and leaves the old file as it was. When s.path is a
// symbolic link, the file it points to is replaced (the temporary file goes
// next to it) and the link stays.
func (s *Store) writeAtomic(data []byte) error {
	target, err := s.writeTarget()
	if err != nil {
		return &SaveError{Path: s.path, Err: err}
	}
	return writeFileAtomic(s.fs, s.path, target, tempPattern, data)
}

// WriteFileAtomic replaces the file path with data the way the profiles
// file is saved: a 0600 temporary file in the same directory, written,
// synced, closed and renamed over path, then the directory synced. On any
// failure the temporary file is removed, path is left as it was and the
// error is a *SaveError. The directory must exist. Other files this
// program keeps (the history) are written with it.
func WriteFileAtomic(path string, data []byte) error {
	return writeFileAtomic(osFS(), path, path, "."+filepath.Base(path)+".tmp-*", data)
}

// writeFileAtomic writes data to target through a temporary file next to
// it, named by pattern (os.CreateTemp's); errors name shown (the path the
// person knows).
func writeFileAtomic(fsys fsOps, shown, target, pattern string, data []byte) (err error) {
	dir := filepath.Dir(target)
	f, err := fsys.createTemp(dir, pattern)
	if err != nil {
		return &SaveError{Path: shown, Err: err}
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
		return &SaveError{Path: shown, Err: werr}
	}
	if err := fsys.rename(tmp, target); err != nil {
		return &SaveError{Path: shown, Err: err}
	}
	syncDir(dir)
	return nil
}

// writeTarget is the file a save replaces: s.path, or the file it links to
// when it is a symbolic link.
func (s *Store) writeTarget() (string, error) {
	st, err := os.Lstat(s.path)
	if err != nil || st.Mode()&fs.ModeSymlink == 0 {
		return s.path, nil
	}
	real, err := filepath.EvalSymlinks(s.path)
	if err != nil {
		return "", fmt.Errorf("it is a symbolic link whose target cannot be reached (%s); the link is left as it is", pathErrMsg(err))
	}
	if st, err := os.Stat(real); err == nil && !st.Mode().IsRegular() {
		return "", fmt.Errorf("it is a symbolic link to %s, which is not a regular file", real)
	}
	return real, nil
}

// syncDir makes a rename in dir durable where the system allows it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// ensureDir creates the configuration directory 0700, or tightens an
// existing one that other users can enter when this tool owns it (see
// ownsDir): a directory such as $HOME named by AUTH0_EXPLORER_CONFIG is
// left as it is.
func (s *Store) ensureDir() error {
	if _, err := os.Lstat(s.dir); errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(s.dir, 0o700); err != nil {
			return &SaveError{Path: s.path, Err: err}
		}
		s.createdDir = true
	}
	if st, err := os.Stat(s.dir); err != nil {
		return &SaveError{Path: s.path, Err: err}
	} else if !st.IsDir() {
		return &SaveError{Path: s.path, Err: fmt.Errorf("%s is not a directory", s.dir)}
	}
	if st, err := os.Stat(s.dir); err == nil && checkModes && st.Mode().Perm()&0o077 != 0 && s.ownsDir() {
		if err := os.Chmod(s.dir, 0o700); err != nil {
			return &SaveError{Path: s.path, Err: fmt.Errorf("could not make %s private (0700): %w", filepath.Clean(s.dir), err)}
		}
	}
	return nil
}
