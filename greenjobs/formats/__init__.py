"""Date formats per language (FORMAT_MODULE_PATH): English as the site has always written dates
("30 April 2014", "April 2014"); French and Spanish take Django's own ("30 avril 2014", "30 de abril
de 2014", "abril de 2014"). Templates and code name the format (DATE_FORMAT, YEAR_MONTH_FORMAT)."""
