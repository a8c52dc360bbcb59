#include "anding/cmdline/i18n.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace anding::cmdline {
namespace {

// Sets the locale variables for one test and restores them after.
class Environment {
 public:
  explicit Environment(std::initializer_list<std::pair<const char*, const char*>> values) {
    for (const char* name : {"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"}) {
      const char* old = std::getenv(name);
      saved_.emplace_back(name, old ? std::optional<std::string>(old) : std::nullopt);
      unsetenv(name);
    }
    for (const auto& [name, value] : values) setenv(name, value, 1);
  }
  ~Environment() {
    for (const auto& [name, value] : saved_) {
      if (value) {
        setenv(name, value->c_str(), 1);
      } else {
        unsetenv(name);
      }
    }
  }

 private:
  std::vector<std::pair<const char*, std::optional<std::string>>> saved_;
};

TEST(I18nTest, ChineseWhenTheLocaleIsChinese) {
  {
    Environment environment({{"LANG", "zh_CN.UTF-8"}});
    EXPECT_EQ(LanguageFromEnvironment(), Language::kChinese);
  }
  {
    Environment environment({{"LANG", "zh_CN.UTF-8"}, {"LC_MESSAGES", "en_US.UTF-8"}});
    EXPECT_EQ(LanguageFromEnvironment(), Language::kEnglish) << "LC_MESSAGES before LANG";
  }
  {
    Environment environment({{"LANG", "C"}, {"LANGUAGE", "zh_TW"}});
    EXPECT_EQ(LanguageFromEnvironment(), Language::kChinese);
  }
  {
    Environment environment({});
    EXPECT_EQ(LanguageFromEnvironment(), Language::kEnglish);
  }
}

TEST(I18nTest, TheLangOptionWinsOverTheEnvironment) {
  Environment environment({{"LANG", "zh_CN.UTF-8"}});
  EXPECT_EQ(*ChooseLanguage({"status", "--lang", "en"}), Language::kEnglish);
  EXPECT_EQ(*ChooseLanguage({"--lang=zh"}), Language::kChinese);
  EXPECT_EQ(*ChooseLanguage({"status"}), Language::kChinese);
  EXPECT_FALSE(ChooseLanguage({"--lang", "fr"}).ok());
  EXPECT_FALSE(ChooseLanguage({"--lang"}).ok());
}

TEST(I18nTest, TranslatesFromTheBuiltCatalogueWhateverTheProcessLocale) {
  UseLanguage(Language::kChinese, "anding-agent");
  EXPECT_STREQ(Translate("Examples:"), "示例：");
  EXPECT_STREQ(Translate("no such message"), "no such message");
  UseLanguage(Language::kEnglish, "anding-agent");
  EXPECT_STREQ(Translate("Examples:"), "Examples:");
  UseLanguage(Language::kChinese, "no-such-domain");
  EXPECT_STREQ(Translate("Examples:"), "Examples:") << "no catalogue: English";
  UseLanguage(Language::kEnglish, "anding-agent");
}

}  // namespace
}  // namespace anding::cmdline
