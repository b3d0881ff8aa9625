"""BPMN 2.0: a namespace-agnostic lxml reader and writer, XSD validation, Graphviz layout."""
