//! `plan convert TRACKER`: an existing Excel, OpenDocument or CSV action tracker as a plan file,
//! with a `# TODO` comment for every cell that could not be converted (docs/convert.md).

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::Outcome;
use crate::atomic::{self, IfExists, WriteError};
use crate::cli::GlobalArgs;
use crate::convert::headings::{self, Field};
use crate::convert::{self, ConvertError, Options};
use crate::error::{CliError, CliResult};
use crate::render::{self, Stream};
use crate::spreadsheet;

#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// The tracker: an .xlsx, .xlsm, .xls, .ods or .csv file
    pub file: PathBuf,
    /// Write the plan to this file, which must not exist yet, instead of stdout
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The sheet of actions [default: the first sheet with a header row]
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// A sheet of measures (KPIs): one row per measure, one column per month
    #[arg(long, value_name = "NAME")]
    pub measures_sheet: Option<String>,
    /// Read the column headed HEADING as FIELD (repeatable); FIELD is one of id, priority,
    /// recommendation, action, owner, start, due, status, rag, commentary, evidence,
    /// success-measure, measure, unit, direction, baseline, target, tolerance, benchmark, ignore
    #[arg(long, value_name = "HEADING=FIELD", value_parser = parse_mapping)]
    pub map: Vec<(String, Field)>,
}

fn parse_mapping(text: &str) -> Result<(String, Field), String> {
    let (heading, field) = text
        .rsplit_once('=')
        .ok_or_else(|| format!("`{text}` is not HEADING=FIELD, such as \"Lead officer=owner\""))?;
    let field = Field::parse(field).ok_or_else(|| {
        let names: Vec<&str> = Field::NAMES.iter().map(|(n, _)| *n).collect();
        format!(
            "`{field}` is not a field; the fields are {}",
            names.join(", ")
        )
    })?;
    let heading = headings::normalise(heading);
    if heading.is_empty() {
        return Err(format!("`{text}` names no heading before the `=`"));
    }
    Ok((heading, field))
}

pub fn cmd_convert(global: &GlobalArgs, args: &ConvertArgs) -> CliResult<Outcome> {
    let source = args.file.display().to_string();
    if !spreadsheet::is_spreadsheet(&args.file) {
        return Err(CliError::input(format!(
            "{source}: plan convert reads .{} files",
            spreadsheet::EXTENSIONS.join(", .")
        )));
    }
    if let Some(output) = args.output.as_ref().filter(|o| o.exists()) {
        return Err(CliError::input(format!(
            "{} already exists; not overwriting it (move it away or choose another name)",
            output.display()
        )));
    }
    let workbook = spreadsheet::read(&args.file).map_err(CliError::input)?;
    let options = Options {
        source: source.clone(),
        sheet: args.sheet.clone(),
        measures_sheet: args.measures_sheet.clone(),
        mapping: args.map.clone(),
        as_of: global.as_of(),
        plan_id: convert::plan_id_for(args.output.as_ref().unwrap_or(&args.file)),
    };
    let conversion = match convert::convert(&workbook, &options) {
        Ok(conversion) => conversion,
        Err(ConvertError::Invalid {
            text, diagnostics, ..
        }) => {
            let color = global.color_for(Stream::Stderr);
            let mut err = std::io::stderr().lock();
            for d in &diagnostics {
                writeln!(
                    err,
                    "{}\n",
                    render::diagnostics::render_human(d, "(converted plan)", &text, color)
                )?;
            }
            return Err(CliError::input(format!(
                "the plan converted from {source} would not pass `plan check`, so nothing was \
                 written; please report this with the tracker"
            )));
        }
        Err(other) => return Err(CliError::input(other)),
    };
    match &args.output {
        Some(path) => {
            if let Some(folder) = path.parent().filter(|f| !f.as_os_str().is_empty()) {
                std::fs::create_dir_all(folder).map_err(|e| {
                    CliError::Store(anyhow::Error::new(e).context(format!(
                        "cannot write {}: cannot create its folder {}",
                        path.display(),
                        folder.display()
                    )))
                })?;
            }
            atomic::write(path, conversion.text.as_bytes(), IfExists::Refuse).map_err(
                |e| match e {
                    WriteError::Exists(_) => CliError::input(format!(
                        "{} already exists; not overwriting it (move it away or choose another name)",
                        path.display()
                    )),
                    other => other.into(),
                },
            )?;
        }
        None => std::io::stdout()
            .lock()
            .write_all(conversion.text.as_bytes())?,
    }
    let summary = render::convert::summary(&conversion, &source, args.output.as_deref());
    std::io::stderr().lock().write_all(summary.as_bytes())?;
    Ok(Outcome::Success)
}
