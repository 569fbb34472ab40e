package io.kychub.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's configuration table lists exactly the keys the hub reads, each with the default the code has. */
class ConfigurationTableTest {

  private static final Pattern ROW = Pattern.compile("^\\| `(KYC_[A-Z0-9_]+)` \\| ([^|]+) \\|");

  @Test
  void theReadmeTableAndTheConfigurationAgree() throws Exception {
    Map<String, String> table = readmeTable();
    Map<String, String> code = new LinkedHashMap<>();
    for (Setting s : HubConfig.SETTINGS) {
      code.put(s.name(), s.defaultValue());
    }
    assertThat(table).as("README configuration table (key -> default; null for none)").isEqualTo(code);
    assertThat(List.copyOf(table.keySet())).as("in the order of HubConfig.SETTINGS").isEqualTo(List.copyOf(code.keySet()));
  }

  private static Map<String, String> readmeTable() throws Exception {
    List<String> lines = Files.readAllLines(Path.of("../../README.md"));
    int start = lines.indexOf("### Configuration");
    assertThat(start).as("the README has a Configuration section").isPositive();
    Map<String, String> rows = new LinkedHashMap<>();
    boolean inTable = false;
    for (String line : lines.subList(start, lines.size())) {
      if (line.startsWith("|")) {
        inTable = true;
        Matcher m = ROW.matcher(line);
        if (m.find()) {
          rows.put(m.group(1), normalise(m.group(2).trim()));
        }
      } else if (inTable) {
        break;
      }
    }
    return rows;
  }

  private static String normalise(String cell) {
    if (cell.equals("—")) {
      return null;
    }
    return cell.startsWith("`") && cell.endsWith("`") ? cell.substring(1, cell.length() - 1) : cell;
  }
}
