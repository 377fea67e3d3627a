"""Who reads what: the groups of the suite's restricted fields."""

#: the team's side of a survey or a customer (the agent, the team, holds,
#: rates, figures, dates): read by employees, never by a portal customer
#: reading his own surveys over RPC
STAFF = "base.group_user,nps_satisfaction.group_nps_user"
