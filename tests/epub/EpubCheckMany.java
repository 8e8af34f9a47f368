// EpubCheckMany: epubcheck over many EPUBs in one JVM (starting a JVM per book costs seconds).
// For each FILE given, writes FILE.check: epubcheck's messages and the summary line that the
// command line prints, "Messages: N fatals / N errors / N warnings / N infos".
// Run as a single-file program: java -cp /usr/bin/epubcheck tests/epub/EpubCheckMany.java FILE...
import com.adobe.epubcheck.api.EpubCheck;
import com.adobe.epubcheck.util.DefaultReportImpl;
import java.io.File;
import java.io.FileOutputStream;
import java.io.PrintStream;

public class EpubCheckMany {
	public static void main(String[] args) throws Exception {
		PrintStream out = System.out, err = System.err;
		for (String f : args) {
			try (PrintStream ps = new PrintStream(new FileOutputStream(f + ".check"), true, "UTF-8")) {
				System.setOut(ps);
				System.setErr(ps);
				DefaultReportImpl report = new DefaultReportImpl(f);
				new EpubCheck(new File(f), report).doValidate();
				ps.printf("Messages: %d fatals / %d errors / %d warnings / %d infos%n", report.getFatalErrorCount(),
					  report.getErrorCount(), report.getWarningCount(), report.getInfoCount());
			} finally {
				System.setOut(out);
				System.setErr(err);
			}
		}
	}
}
