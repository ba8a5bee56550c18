module github.com/gcscope/gcscope

go 1.26
