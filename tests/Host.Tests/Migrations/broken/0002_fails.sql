INSERT INTO broken.things (id) VALUES ('00000000-0000-0000-0000-000000000001');
SELECT this_function_does_not_exist();
