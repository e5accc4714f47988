" revisit policy files: *.rv (see editors/vim/syntax/rv.vim).
autocmd BufRead,BufNewFile *.rv setfiletype rv
