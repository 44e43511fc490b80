// Runs after the modular consumer's build: its tests ran as a module and passed.
def log = new File(basedir, 'build.log').text
assert log.contains('Tests run: 4, Failures: 0, Errors: 0, Skipped: 0') : 'the modular consumer\'s tests did not pass'
return true
