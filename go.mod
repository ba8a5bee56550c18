module github.com/gcscope/gcscope

go 1.26.0

require github.com/tetratelabs/wazero v1.12.0

require (
	github.com/go-delve/liner v1.2.2-1
	github.com/mattn/go-runewidth v0.0.3 // indirect
)

require (
	github.com/kr/pretty v0.2.0 // indirect
	github.com/kr/text v0.2.0 // indirect
	github.com/llir/ll v0.0.0-20220802044011-65001c0fb73c // indirect
	github.com/llir/llvm v0.3.6 // indirect
	github.com/mewmew/float v0.0.0-20201204173432-505706aa38fa // indirect
	github.com/pkg/errors v0.9.1 // indirect
	golang.org/x/arch v0.32.0
	golang.org/x/mod v0.4.2 // indirect
	golang.org/x/sys v0.44.0 // indirect
	golang.org/x/tools v0.1.4 // indirect
	golang.org/x/xerrors v0.0.0-20200804184101-5ec99f83aff1 // indirect
)
