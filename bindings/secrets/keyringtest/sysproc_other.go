//go:build !linux

package keyringtest

import "syscall"

func sysProcAttr() *syscall.SysProcAttr { return nil }
