" Vim syntax file
" Language:    planner's rollout language (grammar/rollout.ebnf)
" Filenames:   *.dsl
" tests/run-grammar checks that every keyword of the grammar is here.

if exists("b:current_syntax")
  finish
endif

" names hold '-': keywords are whole words of these characters
syntax iskeyword a-z,A-Z,48-57,-

syntax match rolloutComment "#.*$" contains=@Spell
syntax region rolloutString start=+"+ skip=+\\\\\|\\"+ end=+"+ end=+$+ contains=rolloutEscape,rolloutBadEscape
syntax match rolloutEscape contained +\\[\\"nt]+
syntax match rolloutBadEscape contained +\\[^\\"nt]+

" declarations start a line
syntax match rolloutDeclaration "^\s*\zs\<\(rollout\|import\|group\|service\|wave\)\>"
" attributes start a line or follow '{' or ';'
syntax match rolloutAttribute "\(^\|[{;]\)\s*\zs\<\(in\|needs\|version\|image\|registry\|namespace\|notify\|deploy-template\|deploy-timeout\|service-account\|takes\|parallel\|soak\|approve\|on-failure\)\>"
syntax match rolloutPolicy "\<on-failure\s\+\zs\(halt\|continue\|rollback\)\>"
syntax match rolloutDuration "\<\(\d\+d\)\=\(\d\+h\)\=\(\d\+m\)\=\(\d\+s\)\=\>" contains=NONE
syntax match rolloutNumber "\<\d\+\>"

highlight default link rolloutComment Comment
highlight default link rolloutString String
highlight default link rolloutEscape SpecialChar
highlight default link rolloutBadEscape Error
highlight default link rolloutDeclaration Keyword
highlight default link rolloutAttribute Statement
highlight default link rolloutPolicy Constant
highlight default link rolloutDuration Number
highlight default link rolloutNumber Number

let b:current_syntax = "rollout"
