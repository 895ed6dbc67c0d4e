use super::lower_unit;
use crate::graph::{Identity, IdentityGraph, PrincipalRes};
use crate::lower::Lowered;
use crate::model::scope::{ScopeLevel, level_of};
use crate::model::{Attr, ResourceLink, SecretKind, Val};
use crate::source::{Format, SourceDb, SourceFile};
use std::path::PathBuf;

fn lower(files: &[(&str, Format, &str)]) -> (SourceDb, Lowered) {
    let mut db = SourceDb::default();
    let ids: Vec<_> = files
        .iter()
        .map(|(path, format, text)| {
            db.add(SourceFile::new(
                PathBuf::from(format!("/t/{path}")),
                path.to_string(),
                text.to_string(),
                *format,
            ))
        })
        .collect();
    let lowered = lower_unit(&db, &ids);
    (db, lowered)
}

fn bash(text: &str) -> (SourceDb, Lowered) {
    lower(&[("deploy/a.sh", Format::Bash, text)])
}

fn ps(text: &str) -> (SourceDb, Lowered) {
    lower(&[("deploy/a.ps1", Format::PowerShell, text)])
}

fn slice(db: &SourceDb, span: crate::source::Span) -> &str {
    &db.get(span.file).text[span.range()]
}

fn scope_level(l: &Lowered, i: usize) -> Option<ScopeLevel> {
    level_of(l.model.role_assignments[i].scope.as_pstr()?)
}

#[test]
fn variables_assigned_from_literals_resolve() {
    let (_, l) = bash("RG=my-rg\nNAME=\"id-$RG\"\naz identity create -g $RG -n \"$NAME\"\n");
    let r = &l.model.resources[0];
    assert_eq!(r.kind, "microsoft.managedidentity/userassignedidentities");
    assert_eq!(r.name.known(), Some("id-my-rg"));
    assert!(r.id.display().ends_with(
        "/resourceGroups/my-rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-my-rg"
    ));
    assert_eq!(r.unit.as_ref(), "script:deploy");
}

#[test]
fn subscription_scope_from_a_variable_id() {
    let (_, l) = bash(
        "az role assignment create --assignee-object-id $P --role Owner --scope \"/subscriptions/$SUB_ID\"\n\
         az role assignment create --assignee $P --role Reader --scope /subscriptions/${SUB:?}/resourceGroups/rg\n\
         az role assignment create --assignee $P --role Reader --scope \"$SCOPE\"\n",
    );
    assert_eq!(scope_level(&l, 0), Some(ScopeLevel::Subscription));
    assert_eq!(scope_level(&l, 1), Some(ScopeLevel::ResourceGroup));
    assert_eq!(scope_level(&l, 2), None);
    // The principal is unknown, never a literal `$P`.
    assert!(
        l.model.role_assignments[0]
            .principal
            .as_known_str()
            .is_none()
    );
}

#[test]
fn legacy_resource_group_and_default_subscription_scope() {
    let (_, l) = bash(
        "az role assignment create --assignee x --role Contributor -g my-rg\n\
         az role assignment create --assignee x --role Contributor\n",
    );
    assert_eq!(scope_level(&l, 0), Some(ScopeLevel::ResourceGroup));
    assert!(
        l.model.role_assignments[0]
            .scope
            .as_pstr()
            .unwrap()
            .display()
            .ends_with("/resourceGroups/my-rg")
    );
    assert_eq!(scope_level(&l, 1), Some(ScopeLevel::Subscription));
    let (_, l) = ps(
        "New-AzRoleAssignment -ObjectId $o -RoleDefinitionName Owner\n\
         New-AzRoleAssignment -ObjectId $o -RoleDefinitionName Owner -ResourceGroupName rg\n\
         New-AzRoleAssignment -ObjectId $o -RoleDefinitionName Owner -ResourceGroupName rg -ResourceName st -ResourceType Microsoft.Storage/storageAccounts\n",
    );
    assert_eq!(scope_level(&l, 0), Some(ScopeLevel::Subscription));
    assert_eq!(scope_level(&l, 1), Some(ScopeLevel::ResourceGroup));
    assert_eq!(scope_level(&l, 2), Some(ScopeLevel::Resource));
}

#[test]
fn principal_from_az_identity_show_links_to_the_identity() {
    let (_, l) = bash(
        "RG=rg\naz identity create -g $RG -n id1\n\
         PRINCIPAL=$(az identity show -g $RG -n id1 --query principalId -o tsv)\n\
         az role assignment create --assignee-object-id \"$PRINCIPAL\" --role Reader --scope /subscriptions/$S/resourceGroups/$RG\n",
    );
    let a = &l.model.role_assignments[0];
    assert!(matches!(
        &a.principal.val,
        Val::Attr {
            link: ResourceLink::Id(_),
            attr: Attr::PrincipalId
        }
    ));
    let graph = IdentityGraph::build(&l.model);
    assert_eq!(
        graph.assignments[0].principal,
        PrincipalRes::Identity(Identity::UserAssigned(0))
    );
}

#[test]
fn powershell_member_access_and_splatting_link_principals() {
    let (_, l) = ps(
        "$id = New-AzUserAssignedIdentity -ResourceGroupName rg -Name id1 -Location westeurope\n\
         $params = @{ ObjectId = $id.PrincipalId; RoleDefinitionName = 'Owner'; Scope = \"/subscriptions/$sub\" }\n\
         New-AzRoleAssignment @params\n\
         New-AzRoleAssignment -ObjectId (Get-AzUserAssignedIdentity -ResourceGroupName rg -Name id1).PrincipalId `\n  -RoleDefinitionName Reader -ResourceGroupName rg\n",
    );
    assert_eq!(l.model.resources.len(), 1);
    assert_eq!(l.model.role_assignments.len(), 2);
    assert_eq!(scope_level(&l, 0), Some(ScopeLevel::Subscription));
    let graph = IdentityGraph::build(&l.model);
    for a in &graph.assignments {
        assert_eq!(
            a.principal,
            PrincipalRes::Identity(Identity::UserAssigned(0))
        );
    }
}

#[test]
fn identities_link_across_scripts_of_one_folder() {
    let (_, l) = lower(&[
        (
            "deploy/1-identity.sh",
            Format::Bash,
            "az identity create -g rg -n app-id\naz identity create -g rg -n spare\n",
        ),
        (
            "deploy/2-vm.ps1",
            Format::PowerShell,
            "$vm = Get-AzVM -ResourceGroupName rg -Name vm1\n\
             $uami = Get-AzUserAssignedIdentity -ResourceGroupName rg -Name app-id\n\
             Update-AzVM -ResourceGroupName rg -VM $vm -IdentityType UserAssigned -IdentityId $uami.Id\n",
        ),
    ]);
    let graph = IdentityGraph::build(&l.model);
    let uami = |name: &str| {
        l.model
            .resources
            .iter()
            .position(|r| r.is_user_assigned_identity() && r.name.known() == Some(name))
            .unwrap()
    };
    assert_eq!(graph.consumers_of(uami("app-id")).count(), 1);
    assert_eq!(graph.consumers_of(uami("spare")).count(), 0);
    assert!(l.model.units_with_unknown_identity_refs.is_empty());
}

#[test]
fn identity_given_by_show_query_id_and_by_unknown_variable() {
    let (_, l) = bash(
        "az identity create -g rg -n a\n\
         az webapp identity assign -g rg -n web --identities $(az identity show -g rg -n a --query id -o tsv)\n",
    );
    let graph = IdentityGraph::build(&l.model);
    assert_eq!(graph.consumers_of(0).count(), 1);
    let (_, l) = bash(
        "az identity create -g rg -n a\naz vm identity assign -g rg -n vm --identities $IDS\n",
    );
    let graph = IdentityGraph::build(&l.model);
    // `$IDS` might name it: possibly attached.
    assert!(graph.maybe_attached.contains(&0));
}

#[test]
fn vm_create_with_role_assigns_to_the_system_identity() {
    let (db, l) = bash(
        "az vm create -g rg -n vm1 --image x --assign-identity [system] --role Contributor --scope /subscriptions/$SUB\n",
    );
    let graph = IdentityGraph::build(&l.model);
    assert_eq!(
        graph.assignments[0].principal,
        PrincipalRes::Identity(Identity::System(0))
    );
    assert_eq!(
        l.model.resources[0]
            .identity
            .as_ref()
            .unwrap()
            .system_assigned,
        Some(true)
    );
    assert_eq!(
        slice(&db, l.model.role_assignments[0].scope_span),
        "/subscriptions/$SUB"
    );
    // Only user-assigned identities: no system identity receives `--role`.
    let (_, l) = bash(
        "az vm identity assign -g rg -n vm1 --identities u1 --role Owner --scope /subscriptions/$S\n",
    );
    assert!(l.model.role_assignments.is_empty());
    // `--scope` without `--role`: the old default role is not assumed.
    let (_, l) = bash("az vm create -g rg -n vm1 --assign-identity --scope /subscriptions/$SUB\n");
    assert!(l.model.role_assignments[0].role.node().is_unknown());
}

#[test]
fn secrets_literal_and_through_variables_but_not_references() {
    let (db, l) = bash(
        "PASS='Sup3rS3cret!x'\n\
         az vm create -g rg -n vm --admin-password \"$PASS\"\n\
         az vm create -g rg -n vm2 --admin-password \"$FROM_ENV\"\n\
         az vm create -g rg -n vm3 --admin-password \"${ADMIN:?}\"\n\
         az vm create -g rg -n vm4 --admin-password $(az keyvault secret show --vault-name v -n p --query value -o tsv)\n\
         az login --service-principal -u app -p 'Q~literal-secret-1' --tenant t\n\
         az deployment group create -g rg -f main.bicep -p adminPassword='Lit3ral!pw' location=westeurope\n\
         az webapp config appsettings set -g rg -n web --settings DB_PASSWORD=hunter2hunter API_URL=https://x\n",
    );
    let args: Vec<_> = l
        .model
        .secrets
        .iter()
        .filter(|s| s.kind == SecretKind::Argument)
        .collect();
    let values: Vec<&str> = args.iter().map(|s| s.value.as_str()).collect();
    assert_eq!(
        values,
        [
            "Sup3rS3cret!x",
            "Q~literal-secret-1",
            "Lit3ral!pw",
            "hunter2hunter"
        ]
    );
    // Reported where the literal is written, with the use as a label.
    assert_eq!(slice(&db, args[0].span), "'Sup3rS3cret!x'");
    assert_eq!(slice(&db, args[0].used_at.unwrap()), "\"$PASS\"");
}

#[test]
fn powershell_secrets() {
    let (_, l) = ps(
        "$sec = ConvertTo-SecureString 'P@ssw0rd-123!' -AsPlainText -Force\n\
         $cred = New-Object System.Management.Automation.PSCredential ('app', $sec)\n\
         $ok = ConvertTo-SecureString $env:SP_SECRET -AsPlainText -Force\n\
         $ok2 = Read-Host -AsSecureString\n\
         $tok = ConvertTo-SecureString (Get-AzAccessToken).Token -AsPlainText\n",
    );
    let values: Vec<&str> = l.model.secrets.iter().map(|s| s.value.as_str()).collect();
    assert_eq!(values, ["P@ssw0rd-123!"]);
}

#[test]
fn role_definition_inline_json() {
    let (db, l) = bash(
        "az role definition create --role-definition '{\"Name\": \"ops\", \"Actions\": [\"*\"], \"NotActions\": [], \"AssignableScopes\": [\"/subscriptions/00000000-0000-0000-0000-000000000000\"]}'\n",
    );
    let d = &l.model.role_definitions[0];
    assert_eq!(d.role_name.as_ref().unwrap().as_known_str(), Some("ops"));
    assert_eq!(d.permissions[0].actions[0].as_known_str(), Some("*"));
    assert_eq!(slice(&db, d.permissions[0].actions[0].span), "\"*\"");
    let (_, l) = bash("az role definition create --role-definition @missing.json\n");
    assert!(l.model.role_definitions[0].permissions_unknown);
}

#[test]
fn yaml_spans_point_at_the_yaml_line() {
    let yaml = "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          az login --service-principal -u x -p ${{ secrets.SP_SECRET }} --tenant t\n          az role assignment create --assignee-object-id ${{ vars.PRINCIPAL }} \\\n            --role Contributor --scope /subscriptions/${{ secrets.SUB }}\n";
    let (db, l) = lower(&[(".github/workflows/deploy.yml", Format::GithubWorkflow, yaml)]);
    assert!(l.model.secrets.is_empty(), "{:?}", l.model.secrets);
    let a = &l.model.role_assignments[0];
    let file = db.get(a.span.file);
    assert_eq!(file.line_col(a.span.start as usize).0, 8);
    assert_eq!(
        slice(&db, a.scope_span),
        "/subscriptions/${{ secrets.SUB }}"
    );
    assert_eq!(scope_level(&l, 0), Some(ScopeLevel::Subscription));
    assert_eq!(
        l.model.role_assignments[0].unit.as_ref(),
        "script:.github/workflows"
    );
}

#[test]
fn token_exposure_through_variables_and_sinks() {
    let leaks = |text: &str, shell: &str| {
        let (db, l) = if shell == "ps" { ps(text) } else { bash(text) };
        l.model
            .token_leaks
            .iter()
            .map(|t| format!("{}|{}", slice(&db, t.span), t.sink))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        leaks(
            "TOKEN=$(az account get-access-token --query accessToken -o tsv)\necho \"$TOKEN\"\n",
            "sh"
        ),
        ["\"$TOKEN\"|the job log by echo"]
    );
    assert_eq!(
        leaks(
            "T=$(curl -s -H Metadata:true 'http://169.254.169.254/metadata/identity/oauth2/token?resource=x' | jq -r .access_token)\nprintf '%s' \"$T\" > token.txt\n",
            "sh"
        ),
        ["\"$T\"|file 'token.txt'"]
    );
    assert_eq!(
        leaks("az account get-access-token > tok.json\n", "sh"),
        ["az account get-access-token > tok.json|file 'tok.json'"]
    );
    // Fine: a bearer header, a masked value, a consumer on the pipe, another field.
    assert!(
        leaks(
            "TOKEN=$(az account get-access-token --query accessToken -o tsv)\n\
             curl -H \"Authorization: Bearer $TOKEN\" https://management.azure.com/x\n\
             echo \"::add-mask::$TOKEN\"\n\
             az account get-access-token --query accessToken -o tsv | docker login x --password-stdin\n\
             EXP=$(az account get-access-token --query expiresOn -o tsv)\necho $EXP\n\
             az account get-access-token > /dev/null\n",
            "sh"
        )
        .is_empty()
    );
    assert_eq!(
        leaks("$t = (Get-AzAccessToken).Token\nWrite-Host $t\n", "ps"),
        ["$t|the job log by Write-Host"]
    );
    assert_eq!(
        leaks(
            "$r = Invoke-RestMethod -Uri \"$env:IDENTITY_ENDPOINT?resource=x\" -Headers @{'X-IDENTITY-HEADER'=$env:IDENTITY_HEADER}\n$r.access_token | Out-File token.txt\nSet-Content -Path t.txt -Value $r.access_token\n",
            "ps"
        ),
        ["$r.access_token|file 't.txt'"]
    );
    assert!(leaks("$s = (Get-AzAccessToken -AsSecureString).Token\nWrite-Host $s\nGet-AzAccessToken | Out-Null\n", "ps").is_empty());
    assert!(
        leaks(
            "$t = (Get-AzAccessToken).Token\nInvoke-RestMethod -Uri https://x -Headers @{Authorization = \"Bearer $t\"}\n",
            "ps"
        )
        .is_empty()
    );
}

#[test]
fn well_known_formats_anywhere_once() {
    let (_, l) = bash(
        "# client secret in a comment: abc8Q~aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\naz login --service-principal -u x -p 'abc8Q~aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab' --tenant t\n",
    );
    assert_eq!(l.model.secrets.len(), 2, "{:?}", l.model.secrets);
}

#[test]
fn scopes_from_az_show_queries() {
    let (_, l) = bash(
        "RG_ID=$(az group show -n app-rg --query id -o tsv)\n\
         az role assignment create --assignee x --role Owner --scope \"$RG_ID\"\n\
         SUB=$(az account show --query id -o tsv)\n\
         az role assignment create --assignee x --role Owner --scope \"/subscriptions/$SUB\"\n\
         az login --service-principal -u app -p ./cert.pem --tenant t\n",
    );
    assert_eq!(scope_level(&l, 0), Some(ScopeLevel::ResourceGroup));
    assert!(
        l.model.role_assignments[0]
            .scope
            .as_pstr()
            .unwrap()
            .display()
            .ends_with("/resourceGroups/app-rg")
    );
    assert_eq!(scope_level(&l, 1), Some(ScopeLevel::Subscription));
    assert!(l.model.secrets.is_empty());
}

#[test]
fn parse_errors_are_reported_and_lowering_goes_on() {
    let (_, l) = bash("if then fi (\naz identity create -g rg -n after-error\n");
    assert!(!l.diagnostics.is_empty());
    assert!(
        l.diagnostics
            .iter()
            .all(|d| d.rule == crate::lower::PARSE_ERROR)
    );
    let (_, l) = lower(&[(
        ".github/workflows/x.yml",
        Format::GithubWorkflow,
        "on: push\njobs: [\n",
    )]);
    assert_eq!(l.diagnostics.len(), 1);
}

#[test]
fn long_options_written_with_equals_read_like_separate_words() {
    let (db, l) = bash(
        "az vm create -g rg -n vm --image x --admin-password=Sup3rS3cret-Value -u azureadmin\n\
         az role assignment create --assignee=x --role=Owner --scope=/subscriptions/0000\n",
    );
    let values: Vec<&str> = l.model.secrets.iter().map(|s| s.value.as_str()).collect();
    assert_eq!(
        values,
        ["Sup3rS3cret-Value"],
        "the value after '=', not the next word"
    );
    assert_eq!(slice(&db, l.model.secrets[0].span), "Sup3rS3cret-Value");
    assert_eq!(scope_level(&l, 0), Some(ScopeLevel::Subscription));
    assert_eq!(
        l.model.role_assignments[0].scope.as_known_str(),
        Some("/subscriptions/0000")
    );
}

#[test]
fn invalid_yaml_is_one_located_parse_error_said_once() {
    let (db, l) = lower(&[(
        ".github/workflows/ci.yml",
        Format::GithubWorkflow,
        "on: push\njobs:\n  a: [unclosed\n",
    )]);
    assert_eq!(l.diagnostics.len(), 1, "{:?}", l.diagnostics);
    let d = &l.diagnostics[0];
    assert!(d.message.starts_with("invalid YAML: "), "{}", d.message);
    assert_eq!(d.message.matches("YAML").count(), 1, "{}", d.message);
    assert!(db.get(d.span.file).line_col(d.span.start as usize).0 >= 3);
}

#[test]
fn tokens_written_to_null_do_not_leak() {
    for text in [
        "$t = (Get-AzAccessToken).Token\n$t > $null\n",
        "Get-AzAccessToken > $null\n",
    ] {
        let (_, l) = ps(text);
        assert!(
            l.model.token_leaks.is_empty(),
            "{text}: {:?}",
            l.model.token_leaks
        );
    }
    let (_, l) = bash("az account get-access-token > /dev/null\n");
    assert!(l.model.token_leaks.is_empty());
}

#[test]
fn a_secret_variable_passed_in_parameters_is_one_site_where_it_is_used() {
    let (db, l) = bash(
        "ADMIN_PASSWORD='Sup3rS3cret-Value'\n\
         az deployment group create -g rg -f main.bicep --parameters adminPassword=$ADMIN_PASSWORD\n",
    );
    assert_eq!(l.model.secrets.len(), 1, "{:?}", l.model.secrets);
    let site = &l.model.secrets[0];
    assert_eq!(site.kind, SecretKind::Argument);
    assert!(slice(&db, site.used_at.unwrap()).contains("$ADMIN_PASSWORD"));
}
