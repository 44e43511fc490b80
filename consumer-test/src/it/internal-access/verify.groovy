// Runs after the build that must fail: it failed because org.aemp.internal is not exported, and for
// nothing else (the import of org.aemp.NodeConfig in the same file compiled).
def log = new File(basedir, 'build.log').text
assert log.contains('package org.aemp.internal is not visible') : 'javac did not refuse org.aemp.internal'
assert log.contains('does not export it') : 'javac did not say that org.aemp.core does not export it'
assert !log.contains('package org.aemp is not visible') : 'the exported package org.aemp was refused too'
return true
