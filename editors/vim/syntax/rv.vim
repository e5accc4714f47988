" Vim syntax file for revisit policy files (*.rv).
" Highlights what the scanner (grammar/lexer.l) knows: keywords, word
" operators, constants, the built-in count/exists/next, strings with their
" escapes, dates, date-times (2026-11-20T10:00), times of day (10:30),
" durations (3 working days), percentages (20%), numbers and # comments.
" Keep the keyword lists in step with grammar/lexer.l: the test
" tests/cli/report_editors.sh fails when a scanner keyword is missing here.
" Install: copy editors/vim/{syntax,ftdetect,ftplugin} into ~/.vim (or add
" editors/vim to 'runtimepath').
if exists("b:current_syntax")
  finish
endif
let s:cpo_save = &cpo
set cpo&vim

syn case match

" declarations that open a block, and what they are named
syn keyword rvStructure policy questions calendar fixture test extends column nextgroup=rvName skipwhite
syn keyword rvStructure use
syn match   rvName      contained "\h\w*"
" clauses and their words
syn keyword rvKeyword   version effective applies to where due within between after before at every from until
syn keyword rvKeyword   immediately coverage least per seed channels contact on assign when fallback priority ask
syn keyword rvKeyword   ordered mandatory optional affirmative weekend holiday workday covers uses given expect as of
syn keyword rvKeyword   horizon for via status no verdict escalate then once same attempts different deny by problem
syn keyword rvKeyword   dissatisfied below
syn keyword rvOperator  and or not is in
syn keyword rvConstant  null today
syn keyword rvBoolean   true false
syn keyword rvSpecial   this customer
syn keyword rvFunction  count exists next
syn keyword rvUnit      hour hours day days week weeks month months quarter quarters year years working

" literals; a later match wins where two start at the same place
syn match   rvNumber    "\<\d\+\(\.\d\+\)\?\>"
syn match   rvDuration  "\<\d\+\s\+\(working\s\+\)\?\(hours\=\|days\=\|weeks\=\|months\=\|quarters\=\|years\=\)\>"
syn match   rvPercent   "\<\d\+\(\.\d\+\)\?%"
syn match   rvClock     "\<\d\d:\d\d\>"
syn match   rvDate      "\<\d\{4}-\d\d-\d\d\>"
syn match   rvDateTime  "\<\d\{4}-\d\d-\d\dT\d\d:\d\d\(:\d\d\)\=\>"
syn match   rvOperatorSym "\.\.\|<=\|>=\|!=\|<>\|==\|[-+*/<>=?]"

syn match   rvEscape    contained +\\[nt"\\]+
syn match   rvBadEscape contained +\\[^nt"\\]+
syn region  rvString    start=+"+ skip=+\\\\\|\\"+ end=+"+ contains=rvEscape,rvBadEscape,@Spell

syn keyword rvTodo      contained TODO FIXME XXX
syn match   rvTodo      contained "NOT YET"
syn match   rvComment   "#.*$" contains=rvTodo,@Spell

hi def link rvStructure   Structure
hi def link rvName        Function
hi def link rvKeyword     Keyword
hi def link rvOperator    Operator
hi def link rvOperatorSym Operator
hi def link rvConstant    Constant
hi def link rvBoolean     Boolean
hi def link rvSpecial     Special
hi def link rvFunction    Function
hi def link rvUnit        Type
hi def link rvNumber      Number
hi def link rvDuration    Number
hi def link rvPercent     Number
hi def link rvClock       Constant
hi def link rvDate        Constant
hi def link rvDateTime    Constant
hi def link rvString      String
hi def link rvEscape      SpecialChar
hi def link rvBadEscape   Error
hi def link rvComment     Comment
hi def link rvTodo        Todo

let b:current_syntax = "rv"
let &cpo = s:cpo_save
unlet s:cpo_save
