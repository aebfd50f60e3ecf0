package io.ensync.keycloak.compat;

import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps the jar on Keycloak's public API (SPEC §1: 26.4 to 26.7 from one jar): no classes in Keycloak's packages, no
 * reflection, and every Keycloak class, constructor, method and field the compiled classes reference is public (a
 * method or field may be protected, from a subclass; a constructor never) in the API the build compiles against (the oldest supported Keycloak, pom.xml's
 * {@code keycloak.api.version}). Reads target/classes, so it runs after compile, in surefire.
 */
class PublicKeycloakApiTest {

    private static final Path SOURCES = Path.of("src/main/java");
    private static final Path CLASSES = Path.of("target/classes");
    private static final Pattern REFLECTION = Pattern.compile(
            "\\.setAccessible\\(|\\.getDeclared(Field|Method|Constructor)s?\\(|Class\\.forName\\(|\\.loadClass\\("
                    + "|privateLookupIn|sun\\.misc\\.Unsafe|jdk\\.internal\\.");

    @Test
    void noClassLivesInAKeycloakPackage() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (Path source : files(SOURCES, ".java")) {
            Matcher m = Pattern.compile("(?m)^package\\s+([\\w.]+)\\s*;").matcher(Files.readString(source));
            if (!m.find() || !m.group(1).startsWith("io.ensync.")) {
                offenders.add(source.toString());
            }
        }
        for (Path type : files(CLASSES, ".class")) {
            if (!CLASSES.relativize(type).toString().startsWith("io/ensync/")) {
                offenders.add(type.toString());
            }
        }
        assertEquals(List.of(), offenders, "classes outside io.ensync (package tricks into Keycloak's packages)");
    }

    @Test
    void noReflection() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (Path source : files(SOURCES, ".java")) {
            List<String> lines = Files.readAllLines(source);
            for (int i = 0; i < lines.size(); i++) {
                if (REFLECTION.matcher(lines.get(i)).find()) {
                    offenders.add(source + ":" + (i + 1) + ": " + lines.get(i).trim());
                }
            }
        }
        assertEquals(List.of(), offenders, "reflection in the main sources");
    }

    @Test
    void everyKeycloakMemberReferencedIsPublicApi() throws IOException {
        List<Path> classFiles = files(CLASSES, ".class");
        assertTrue(classFiles.size() > 50, "compiled classes under " + CLASSES + " (run through mvn)");
        Set<String> offenders = new LinkedHashSet<>();
        int checked = 0;
        for (Path file : classFiles) {
            ClassInfo self;
            try (InputStream in = Files.newInputStream(file)) {
                self = ClassInfo.read(in);
            }
            for (String type : self.supertypes()) {
                if (isKeycloak(type) && !Modifier.isPublic(api(type).access())) {
                    offenders.add(self.name() + " extends or implements non-public " + type);
                }
            }
            for (Ref ref : self.refs()) {
                if (!isKeycloak(ref.owner())) {
                    continue;
                }
                checked++;
                ClassInfo owner = api(ref.owner());
                Found found = resolve(owner, ref);
                if (found == null) {
                    offenders.add(self.name() + " → " + ref + ": not in the API compiled against");
                    continue;
                }
                int access = found.member().access();
                // A protected constructor is reached only by subclassing a Keycloak class through it: not public API.
                boolean accessible = Modifier.isPublic(access) || (Modifier.isProtected(access)
                        && !ref.name().equals("<init>") && isSubclass(self, found.declaringClass()));
                if (!Modifier.isPublic(owner.access()) || !accessible) {
                    offenders.add(self.name() + " → " + ref + " (" + (Modifier.toString(access & ~Modifier.SYNCHRONIZED)) + ")");
                }
            }
        }
        assertTrue(checked > 100, "Keycloak references found: " + checked);
        assertEquals(Set.of(), offenders, "references to non-public Keycloak API");
    }

    private static boolean isKeycloak(String internalName) {
        return internalName.startsWith("org/keycloak/");
    }

    private static final Map<String, ClassInfo> API = new HashMap<>();

    /** A class of the compile class path (the Keycloak API jars, the JDK), read from its class file; null if absent. */
    private static ClassInfo api(String internalName) {
        return API.computeIfAbsent(internalName, name -> {
            try (InputStream in = ClassLoader.getSystemResourceAsStream(name + ".class")) {
                return in == null ? null : ClassInfo.read(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static boolean isSubclass(ClassInfo type, String ancestor) {
        for (ClassInfo c = type; c != null; c = c.superName() == null ? null : api(c.superName())) {
            if (c.name().equals(ancestor)) {
                return true;
            }
        }
        return false;
    }

    record Found(String declaringClass, MemberInfo member) {
    }

    /** The member as the JVM resolves it (JVMS §5.4.3): the class, its superclasses, then its interfaces. */
    private static Found resolve(ClassInfo owner, Ref ref) {
        if (owner == null) {
            return null;
        }
        Deque<ClassInfo> queue = new ArrayDeque<>();
        for (ClassInfo c = owner; c != null; c = c.superName() == null ? null : api(c.superName())) {
            queue.add(c);
            if (ref.name().equals("<init>")) {
                break; // constructors are not inherited
            }
        }
        Set<String> seen = new HashSet<>();
        while (!queue.isEmpty()) {
            ClassInfo c = queue.poll();
            if (!seen.add(c.name())) {
                continue;
            }
            for (MemberInfo m : c.members()) {
                if (m.field() == (ref.kind() == Ref.Kind.FIELD) && m.name().equals(ref.name())
                        && m.descriptor().equals(ref.descriptor())) {
                    return new Found(c.name(), m);
                }
            }
            for (String i : c.interfaces()) {
                ClassInfo info = api(i);
                if (info != null) {
                    queue.add(info);
                }
            }
        }
        return null;
    }

    private static List<Path> files(Path root, String suffix) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        }
    }

    record Ref(Kind kind, String owner, String name, String descriptor) {
        enum Kind { FIELD, METHOD }

        @Override
        public String toString() {
            return owner.replace('/', '.') + "." + name + descriptor;
        }
    }

    record MemberInfo(boolean field, int access, String name, String descriptor) {
    }

    /** A class file's name, access, supertypes, members and member references (constant pool), JVMS §4. */
    record ClassInfo(String name, int access, String superName, List<String> interfaces, List<MemberInfo> members,
                     List<Ref> refs) {

        List<String> supertypes() {
            List<String> all = new ArrayList<>(interfaces);
            if (superName != null) {
                all.add(0, superName);
            }
            return all;
        }

        static ClassInfo read(InputStream raw) throws IOException {
            DataInputStream in = new DataInputStream(raw);
            in.readInt();
            in.readUnsignedShort();
            in.readUnsignedShort();
            int count = in.readUnsignedShort();
            int[] tags = new int[count];
            int[] a = new int[count];
            int[] b = new int[count];
            String[] utf8 = new String[count];
            for (int i = 1; i < count; i++) {
                tags[i] = in.readUnsignedByte();
                switch (tags[i]) {
                    case 1 -> utf8[i] = in.readUTF();
                    case 3, 4 -> in.readInt();
                    case 5, 6 -> {
                        in.readLong();
                        i++;
                    }
                    case 7, 8, 16, 19, 20 -> a[i] = in.readUnsignedShort();
                    case 9, 10, 11, 12, 17, 18 -> {
                        a[i] = in.readUnsignedShort();
                        b[i] = in.readUnsignedShort();
                    }
                    case 15 -> {
                        in.readUnsignedByte();
                        a[i] = in.readUnsignedShort();
                    }
                    default -> throw new IOException("constant pool tag " + tags[i]);
                }
            }
            int access = in.readUnsignedShort();
            String name = utf8[a[in.readUnsignedShort()]];
            int superIndex = in.readUnsignedShort();
            String superName = superIndex == 0 ? null : utf8[a[superIndex]];
            List<String> interfaces = new ArrayList<>();
            int interfaceCount = in.readUnsignedShort();
            for (int i = 0; i < interfaceCount; i++) {
                interfaces.add(utf8[a[in.readUnsignedShort()]]);
            }
            List<MemberInfo> members = new ArrayList<>();
            for (boolean field : new boolean[] {true, false}) {
                int n = in.readUnsignedShort();
                for (int i = 0; i < n; i++) {
                    int memberAccess = in.readUnsignedShort();
                    String memberName = utf8[in.readUnsignedShort()];
                    String descriptor = utf8[in.readUnsignedShort()];
                    int attributes = in.readUnsignedShort();
                    for (int j = 0; j < attributes; j++) {
                        in.readUnsignedShort();
                        in.skipNBytes(in.readInt() & 0xFFFFFFFFL);
                    }
                    members.add(new MemberInfo(field, memberAccess, memberName, descriptor));
                }
            }
            List<Ref> refs = new ArrayList<>();
            for (int i = 1; i < count; i++) {
                if (tags[i] == 9 || tags[i] == 10 || tags[i] == 11) {
                    String owner = utf8[a[a[i]]];
                    if (owner.startsWith("[")) {
                        continue; // a method of an array type (clone)
                    }
                    refs.add(new Ref(tags[i] == 9 ? Ref.Kind.FIELD : Ref.Kind.METHOD, owner,
                            utf8[a[b[i]]], utf8[b[b[i]]]));
                }
            }
            return new ClassInfo(name, access, superName, interfaces, members, refs);
        }
    }
}
