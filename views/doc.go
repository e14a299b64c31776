// Package views holds the dashboard's templ components: a layout, shared pieces and one file
// per page. Each page's hand-written view model sits next to it in <page>_model.go (the
// generated code is <page>_templ.go) and is shaped like the screen: the handlers fill it from
// the domain's types, so the views make no Moodle calls, hold no domain logic and read no
// Moodle HTML.
package views
