// Runs after the consumer's build (maven-invoker-plugin's postBuildHookScript). Variables from the
// plugin: basedir (this project's copy), and from consumer-test's pom: itRepo, aempVersion, rootDir.

def log = new File(basedir, 'build.log').text
// the summary line: both tests (TwoNodesTest, and TestKitTest with mp-testkit) ran and passed
assert (log =~ /(?m)Tests run: 2, Failures: 0, Errors: 0, Skipped: 0\s*$/).find() : 'the consumer\'s tests did not pass'

// The published modules: every module of the root pom that deploys (no maven.deploy.skip) ...
def root = new File(rootDir)
def modules = (new File(root, 'pom.xml').text =~ /<module>([^<]+)<\/module>/).collect { it[1] }
def published = modules.findAll { m ->
    m != 'aemp-bom' && !new File(root, m + '/pom.xml').text.contains('<maven.deploy.skip>true</maven.deploy.skip>')
} as Set
// ... must be exactly the modules the BOM lists.
def bom = new File(root, 'aemp-bom/pom.xml').text
def listed = (bom =~ /<artifactId>([^<]+)<\/artifactId><version>\$\{project.version\}<\/version>/).collect { it[1] } as Set
assert listed == published : "aemp-bom lists ${listed.sort()} but the published modules are ${published.sort()}"

// Each is in the private repository with its pom, jar, sources jar and javadoc jar; so is the BOM.
def missing = []
listed.each { a ->
    def dir = new File(itRepo, "org/aemp/${a}/${aempVersion}")
    ['.pom', '.jar', '-sources.jar', '-javadoc.jar'].each { suffix ->
        def f = new File(dir, "${a}-${aempVersion}${suffix}")
        if (!f.isFile() || f.length() == 0) {
            missing << f.path
        }
    }
}
if (!new File(itRepo, "org/aemp/aemp-bom/${aempVersion}/aemp-bom-${aempVersion}.pom").isFile()) {
    missing << 'aemp-bom pom'
}
assert missing.isEmpty() : "not in the private repository: ${missing}"
return true
