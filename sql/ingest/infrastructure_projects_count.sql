select count(*) from infrastructure_projects
