"""Notifications leaving the system (e-mail): a port and its adapters."""
