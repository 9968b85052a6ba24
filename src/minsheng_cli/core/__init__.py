"""Pure evaluation: a Ledger and a date in; milestone states, lights, 序时 and agendas out."""
