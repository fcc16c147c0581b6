#include "story/story_record.hpp"

namespace leakhunt::story {

std::vector<RecordFigure> recordFor(const std::string& module) {
  if (module == "soyuz-ms09-om")
    return {
        {"time to alarm",
         "seen by ground controllers about 23:00 UTC on 29 Aug 2018 (onset not known)",
         "NASA statement via accuweather.com; record.md"},
        {"time to locate", "hole found about 14:00 UTC on 30 Aug, about 15 h after it was seen",
         "record.md (NASA/Roscosmos timeline)"},
        {"leak rate", "about 0.8 mbar/h station-wide (about 21 kg/day)",
         "spaceflightnow.com 2018-08-30 via space.stackexchange.com/q/30501"},
        {"hole", "about 2 mm", "physics.md section 8"},
        {"reserve time", "about 18 days quoted", "physics.md section 8"},
    };
  if (module == "zvezda-prk")
    return {
        {"time to alarm", "a slight increase above the standard leak rate seen in Sep 2019",
         "NASA, via record.md"},
        {"time to locate",
         "isolation campaigns Aug and Sep 2020; crack found Oct 2020 (over a year)", "record.md"},
        {"leak rate", "about 1 to 3.7 lb/day (0.45 to 1.7 kg/day) over the years", "record.md"},
    };
  if (module == "spektr")
    return {
        {"time to alarm", "immediate: the Progress collision on 25 Jun 1997 was felt and heard",
         "record.md"},
        {"time to locate", "Spektr sealed off within minutes (cables cut to close the hatch)",
         "record.md"},
        {"pressure", "about 750 to 675 mmHg before the module was sealed off",
         "physics.md section 8"},
    };
  return {};
}

}  // namespace leakhunt::story
